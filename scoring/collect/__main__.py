from scoring.cli.collect import collect

collect(prog_name="zwgk collect")
