"""scripts/stack's generated configuration: nginx accepts the rendered template (so an
edit to deploy/nginx.conf.template that nginx would refuse fails here, not at `make
stack`), and the app servers' environment is the production settings on the stack's own
services."""

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_stack_script():
    loader = importlib.machinery.SourceFileLoader("stack_script", str(ROOT / "scripts" / "stack"))
    spec = importlib.util.spec_from_loader("stack_script", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["stack_script"] = module
    loader.exec_module(module)
    return module


def test_nginx_accepts_the_rendered_template(tmp_path):
    stack_script = load_stack_script()
    stack = stack_script.Stack(dir=tmp_path, base_port=8430)
    nginx_dir = tmp_path / "nginx"
    for sub in ("tmp", "cache"):
        (nginx_dir / sub).mkdir(parents=True)
    (tmp_path / "logs").mkdir()
    config = nginx_dir / "nginx.conf"
    config.write_text(stack_script.nginx_config(stack))

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run(  # noqa: S603 (Debian's nginx on our own file)
        [nginx, "-t", "-p", str(nginx_dir), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = config.read_text()
    assert "listen 127.0.0.1:8430;" in text
    assert "server 127.0.0.1:8431" in text and "server 127.0.0.1:8432" in text


def test_the_app_servers_run_production_settings_on_the_stacks_services(tmp_path):
    stack = load_stack_script().Stack(dir=tmp_path, base_port=8430, secret_key="k", s3_secret="s")
    env = stack.env()
    assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.production"
    assert env["REDIS_URL"] == "redis://127.0.0.1:8433/0"
    assert env["S3_ENDPOINT_URL"] == "http://127.0.0.1:8434"
    assert env["EMAIL_PORT"] == "8439"
    assert env["TASKS_BACKEND"] == "portal.tasks_backend.RQBackend"
    assert env["DATABASE_URL"].startswith("postgresql://postgres@")
    assert env["S3_BUCKET"] != env["S3_PRIVATE_BUCKET"]
    # Plain http on loopback only: the switches, not other defaults, are turned off.
    assert (env["SECURE_SSL_REDIRECT"], env["SECURE_COOKIES"]) == ("0", "0")
