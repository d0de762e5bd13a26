from scoring.collect.cli import collect

collect(prog_name="zwgk collect")
