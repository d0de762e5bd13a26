"""robots.txt: fetched once per host, parsed with the standard library (RFC 9309 semantics)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

#: the product token matched against robots.txt ``User-agent`` lines
ROBOTS_AGENT = "zwgk"


@dataclass
class Robots:
    """The rules of one host. ``status`` is how robots.txt answered (HTTP code or error word)."""

    status: str
    body: str
    _parser: RobotFileParser | None = None

    def __post_init__(self) -> None:
        p = RobotFileParser()
        if self.status.isdigit() and 200 <= int(self.status) < 300:
            p.parse(self.body.splitlines())
        elif self.status.isdigit() and int(self.status) >= 500:
            p.disallow_all = True  # RFC 9309 §2.3.1.4: server error = complete disallow
        else:
            p.allow_all = True     # 4xx (no robots.txt), or host unreachable: the check will say so
        self._parser = p

    def allowed(self, url: str) -> bool:
        return self._parser.can_fetch(ROBOTS_AGENT, url)

    def crawl_delay(self) -> float | None:
        d = self._parser.crawl_delay(ROBOTS_AGENT)
        return float(d) if d is not None else None
