"""redis.conf and nginx.conf generated from the templates in deploy/."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.ops.launcher import channel_secret_file
from bot.ops.private_files import write_private
from bot.ops.scaled.profile import ScaledSettings
from bot.ops.scaled.programs import nginx_worker_user
from bot.paths import DEPLOY_DIR

DEPLOY_FOLDER = DEPLOY_DIR


def render(template: str, **values: object) -> str:
    """Fill in one of the templates in deploy/."""
    environment = Environment(
        loader=FileSystemLoader(DEPLOY_FOLDER), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False,
    )
    return environment.get_template(template).render(**values)


def write_configuration(scaled: ScaledSettings) -> None:
    """Generate redis.conf (0600: it holds the password) and nginx.conf in var/scaled; write the channel secret."""
    for folder in (scaled.run_dir, scaled.log_dir, scaled.folder / "redis"):
        folder.mkdir(parents=True, exist_ok=True)
    channel_secret_file(scaled.base)
    write_private(
        scaled.folder / "redis.conf",
        render(
            "redis.conf.j2", host=scaled.redis_host, port=scaled.redis_port, run_dir=scaled.run_dir,
            data_dir=scaled.folder / "redis", password=scaled.redis_password,
        ),
    )
    (scaled.folder / "nginx.conf").write_text(
        render(
            "nginx.conf.j2", host=scaled.base.rasa_host, port=scaled.gateway_port, rasa_ports=scaled.rasa_ports,
            run_dir=scaled.run_dir, worker_user=nginx_worker_user(), fail_timeout=10, read_timeout=120,
            web_host=scaled.base.web_host, web_port=scaled.base.web_port, web_ports=scaled.web_ports,
        ),
        encoding="utf-8",
    )
