#!/usr/bin/env bash
# One real client through `mailtls mitm` in front of a running reference server (ctest -L client):
#
#   mitm-client.sh MAILTLS STATE SERVICE ATTACK EXPECTED COMMAND
#
# STATE is a `mailtls reference start --state` folder. The proxy listens on a free loopback port
# for one connection (--count 1) and forwards to STATE's SERVICE port with ATTACK; COMMAND runs
# through /bin/sh -c with {port} (the proxy's), {resolve} (curl's --resolve value for the
# server's name mail.mailtls.test), {ca}, {user} and {password} substituted. The test passes when
# the proxy's verdict for the connection is EXPECTED (pass or fail) and the password never shows
# in its output.
set -euo pipefail
[ $# = 6 ] || { echo "usage: mitm-client.sh MAILTLS STATE SERVICE ATTACK EXPECTED COMMAND" >&2; exit 2; }
mailtls=$1 state=$2 service=$3 attack=$4 expected=$5 command=$6

upstream=$(grep -o "\"$service\":[0-9]*" "$state/ports.json" | cut -d: -f2)
[ -n "$upstream" ] || { echo "mitm-client: no $service port in $state/ports.json" >&2; exit 2; }
password=$(head -1 "$state/password")
work=$(mktemp -d)
proxy_pid=""
cleanup() {
  [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$mailtls" mitm --upstream "$service://127.0.0.1:$upstream" --attack "$attack" --count 1 \
  --timeout 5000 --out "$work/report" >"$work/mitm.log" 2>&1 &
proxy_pid=$!
port=""
for _ in $(seq 100); do  # up to 10 s for the first line
  port=$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$work/mitm.log" | cut -d: -f2 || true)
  [ -n "$port" ] && break
  kill -0 "$proxy_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "mitm-client: the proxy did not start:"; cat "$work/mitm.log"; exit 1; }

quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
cmd=${command//\{port\}/$port}
cmd=${cmd//\{resolve\}/$(quote "mail.mailtls.test:$port:127.0.0.1")}
cmd=${cmd//\{ca\}/$(quote "$state/server/tls/ca.pem")}
cmd=${cmd//\{user\}/mailtls@mailtls.test}
cmd=${cmd//\{password\}/$(quote "$password")}
set +e
HOME=$work timeout 30 sh -c "$cmd" >"$work/client.log" 2>&1
client_status=$?
set -e

for _ in $(seq 150); do  # up to 15 s for the proxy to judge and exit
  kill -0 "$proxy_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$proxy_pid" 2>/dev/null; then
  echo "mitm-client: the proxy saw no finished connection within 15 s"
  kill "$proxy_pid" 2>/dev/null || true
fi
wait "$proxy_pid" 2>/dev/null || true
proxy_pid=""

echo "client: exit $client_status; $(tail -2 "$work/client.log" | tr '\n' ' ')"
cat "$work/mitm.log"
if grep -qF -- "$password" "$work/mitm.log" "$work/report/report.json" 2>/dev/null; then
  echo "mitm-client: the password appears in the proxy's output or report"
  exit 1
fi
verdict=$(grep -oE '^#1 [^ ]+ (PASS|FAIL|ERROR)' "$work/mitm.log" | awk '{ print tolower($3) }')
if [ "$verdict" = "$expected" ]; then
  echo "mitm-client: verdict $verdict, as expected"
  exit 0
fi
echo "mitm-client: verdict '${verdict:-none}', expected $expected"
exit 1
