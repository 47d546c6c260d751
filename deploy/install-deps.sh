#!/usr/bin/env bash
# Install the Debian packages the scaled profile runs: PostgreSQL, Redis and nginx.
# Only installs what is missing; starts nothing (veivalg run-scaled runs each one as its own
# child process with its data under var/scaled/). Needs root (or sudo) and Debian/Ubuntu's apt.
set -euo pipefail

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)

if [ ${#missing[@]} -eq 0 ]; then
  echo "[veivalg] PostgreSQL, Redis og nginx er installert"
  exit 0
fi
echo "[veivalg] installerer ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "[veivalg] trenger root eller sudo for apt-get"; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
