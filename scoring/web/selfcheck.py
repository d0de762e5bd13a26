"""The 自查 page: score an uploaded 底稿 exactly as `zwgk check --html` does, recording nothing."""

from __future__ import annotations

from scoring.web.upload import UploadFolder


class CheckRefused(ValueError):
    """The upload could not be scored; ``messages`` say why (Chinese, file, row and column)."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def run_check(files: list[tuple[str, bytes]], as_of_text: str, unit_id: str | None, settings) -> str:
    """The self-check HTML page of the uploaded evidence (the same page as ``zwgk check --html``)."""
    from scoring.api import ScoringInputError, load_inputs, score_inputs
    from scoring.check.html import render_html
    from scoring.check.view import from_results
    from scoring.cli.check import pick_unit
    from scoring.dates import parse_date_text
    from scoring.engine.leaves import RuleError
    from scoring.evidence.batch import EvidenceError
    from scoring.rubric.load import RubricError

    try:
        as_of = parse_date_text(as_of_text) if as_of_text else settings.today()
    except ValueError:
        raise CheckRefused([f"测评基准日「{as_of_text}」无法识别，应为 2026-11-20、2026/11/20 或 2026年11月20日"]) from None
    with UploadFolder() as up:
        evidence = up.take(files)

        def shown(text: str) -> str:   # the temporary folder is no business of the user's
            return text.replace(str(up.root) + "/", "").replace(up.root.name, "上传的文件夹")
        try:
            inputs = load_inputs(evidence, settings.rubric, settings.report_options.calendar)
            results = score_inputs(inputs, as_of, unit_id=unit_id)
            uid = pick_unit(results, unit_id)
        except EvidenceError as exc:
            errors = [i for i in exc.issues if i.level == "error"]
            raise CheckRefused([f"底稿有 {len(errors)} 个错误，未能评分："] +
                               [shown(i.render()) for i in errors[:50]]) from None
        except (RubricError, ScoringInputError, RuleError) as exc:
            raise CheckRefused([shown(str(exc))]) from None
    view = from_results(results, uid)
    if len(results.units) == 1:
        view.rank = view.group_size = None   # scored alone: a rank of 1 of 1 says nothing
    return render_html(view)
