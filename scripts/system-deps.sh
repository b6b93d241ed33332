#!/usr/bin/env bash
# Debian packages the test suite needs (the real consumers of our exports):
#   graphviz (dot), chromium (HTML viewer), libjgrapht-java (GraphML/GEXF XSDs).
# Java 17 is a runtime requirement (HermiT), checked here too.
set -euo pipefail
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/java ] && ls /usr/share/java/jgrapht-io*.jar >/dev/null 2>&1 || need+=(libjgrapht-java)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: missing Debian packages: ${need[*]} (run as root or install them)" >&2
    exit 1
  fi
  echo "system-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
command -v java >/dev/null 2>&1 || { echo "system-deps: Java 17 is required (HermiT reasoner)" >&2; exit 1; }
