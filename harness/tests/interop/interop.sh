#!/usr/bin/env bash
# Real Postfix + Dovecot on loopback, for the interop tests (ctest label `interop`) and
# tools/interop. No Docker, no system services touched: private configuration and state under
# STATE, daemons started from it and stopped again, loopback addresses and free high ports only.
#
#   interop.sh start CONFIG STATE     # CONFIG: hardened | weakened; writes STATE/urls, STATE/env
#   interop.sh stop STATE             # stops what `start` started (idempotent)
#   interop.sh check STATE MAILTLS [ARG...]   # `mailtls check` on the seven services of STATE
#
# Facts and traps: ../shared/interop-notes.md, docs/interop.md. Dovecot listens on 127.0.0.2 and
# mailtls connects from 127.0.0.1: Dovecot treats a peer with its own address as secure and would
# allow cleartext logins whatever `ssl = required` says.
set -euo pipefail

die() { echo "interop: $*" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)

# pick_ports: sets P25 P587 P465 P110 P995 P143 P993 to distinct TCP ports from 20000-59999 that
# nothing listens on (bounded tries). The daemons read their ports from configuration files, so
# the ports are chosen here; `start` retries with new ones if one was taken in the meantime.
pick_ports() {
  local chosen=" " name p tries
  for name in P25 P587 P465 P110 P995 P143 P993; do
    for ((tries = 0; ; tries++)); do
      [ "$tries" -lt 200 ] || die "no free port after 200 tries"
      p=$((20000 + RANDOM % 40000))
      [[ "$chosen" == *" $p "* ]] && continue
      ss -Htln "sport = :$p" | grep -q . && continue
      break
    done
    chosen+="$p "
    printf -v "$name" %s "$p"
  done
}

wait_listening() {  # wait_listening ADDR PORT SECONDS
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    ss -Htln "sport = :$2" | grep -q "$1:$2" && return 0
    sleep 0.1
  done
  return 1
}

write_tls() {  # a private CA and a server certificate for mail.mailtls.test (RSA 2048, 30 days)
  local d=$1
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/ca.key" -out "$d/ca.pem" -days 30 \
    -subj "/CN=mailtls interop CA" -addext basicConstraints=critical,CA:true \
    -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$d/key.pem" -out "$d/req.csr" \
    -subj /CN=mail.mailtls.test 2>/dev/null
  printf 'subjectAltName=DNS:mail.mailtls.test\nextendedKeyUsage=serverAuth\n' >"$d/ext.cnf"
  openssl x509 -req -in "$d/req.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
    -out "$d/cert.pem" -days 30 -extfile "$d/ext.cnf" 2>/dev/null
  chmod 644 "$d/cert.pem" "$d/ca.pem"
  chmod 640 "$d/key.pem"
}

write_postfix() {  # write_postfix CONFIG STATE
  local config=$1 s=$2 d=$2/postfix
  mkdir -p "$d/etc" "$d/queue" "$d/data"
  chown postfix "$d/data"
  cp /etc/postfix/master.cf /etc/postfix/dynamicmaps.cf /etc/postfix/postfix-files "$d/etc/"
  cp -r /etc/postfix/dynamicmaps.cf.d /etc/postfix/postfix-files.d "$d/etc/" 2>/dev/null || true
  local protocols='!SSLv2, !SSLv3, !TLSv1, !TLSv1.1' ciphers=''
  if [ "$config" = weakened ]; then
    protocols='!SSLv2, !SSLv3'
    # OpenSSL 3 answers a TLS 1.0 hello with an alert unless the security level is 0.
    ciphers=$'tls_medium_cipherlist = DEFAULT:@SECLEVEL=0\nsmtpd_tls_ciphers = medium\nsmtpd_tls_mandatory_ciphers = medium'
  fi
  cat >"$d/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $d/queue
data_directory = $d/data
alternate_config_directories = $d/etc
maillog_file_prefixes = $s
maillog_file = $d/maillog
mail_owner = postfix
setgid_group = postdrop
myhostname = mail.mailtls.test
mydomain = mailtls.test
myorigin = mailtls.test
inet_interfaces = loopback-only
inet_protocols = ipv4
# mailtls connects from 127.0.0.1: not a trusted network, so relaying needs SASL.
mynetworks = 127.0.0.2/32
mydestination =
local_transport = error:no local delivery
default_transport = error:interop test: no delivery outside mailtls.test
virtual_mailbox_domains = mailtls.test
virtual_mailbox_base = $s/mail
virtual_mailbox_maps = inline:{ mailtls@mailtls.test=mailtls.test/mailtls/, postmaster@mailtls.test=mailtls.test/postmaster/ }
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_tls_chain_files = $s/tls/key.pem, $s/tls/cert.pem
smtpd_tls_security_level = may
smtpd_sasl_auth_enable = no
smtpd_sasl_type = dovecot
smtpd_sasl_path = $d/queue/private/auth
smtpd_tls_protocols = $protocols
smtpd_tls_mandatory_protocols = $protocols
tls_ssl_options = NO_COMPRESSION, NO_RENEGOTIATION
# Beyond the port policy, what a hardened Postfix sets (docs/interop.md says which scenario
# fails without each): HELO/EHLO before other commands, also after STARTTLS (RFC 3207 §4.2);
# no bare LF as a line end (SMTP smuggling, CVE-2023-51764); no anonymous or null ciphers.
smtpd_helo_required = yes
smtpd_forbid_bare_newline = yes
smtpd_tls_exclude_ciphers = aNULL, eNULL
smtpd_tls_mandatory_exclude_ciphers = aNULL, eNULL
$ciphers
biff = no
EOF
  local sub_tls='-o smtpd_tls_security_level=encrypt'
  [ "$config" = weakened ] && sub_tls='-o smtpd_tls_security_level=may -o smtpd_tls_auth_only=no'
  local sasl='-o smtpd_sasl_auth_enable=yes -o smtpd_client_restrictions=permit_sasl_authenticated,reject -o smtpd_relay_restrictions=permit_sasl_authenticated,reject'
  postconf -c "$d/etc" -M# smtp/inet
  postconf -c "$d/etc" -Me "127.0.0.2:$P25/inet = 127.0.0.2:$P25 inet n - n - - smtpd"
  postconf -c "$d/etc" -Me "127.0.0.2:$P587/inet = 127.0.0.2:$P587 inet n - n - - smtpd $sub_tls $sasl"
  postconf -c "$d/etc" -Me "127.0.0.2:$P465/inet = 127.0.0.2:$P465 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes $sasl"
  postconf -c "$d/etc" -F '*/*/chroot = n'
}

write_dovecot() {  # write_dovecot CONFIG STATE
  local config=$1 s=$2 d=$2/dovecot
  mkdir -p "$d"
  local ssl=required plain=yes min=TLSv1.2 cipher=''
  if [ "$config" = weakened ]; then
    ssl=yes plain=no min=TLSv1 cipher='ssl_cipher_list = DEFAULT:@SECLEVEL=0'
  fi
  printf '%s:{PLAIN}%s\n' "$USER_NAME" "$(cat "$s/password")" >"$d/users"
  chmod 640 "$d/users"
  chgrp dovecot "$d/users"
  cat >"$d/dovecot.conf" <<EOF
# mailtls interop ($config); see harness/tests/interop/interop.sh
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
protocols = imap pop3
listen = 127.0.0.2
ssl = $ssl
ssl_cert = <$s/tls/cert.pem
ssl_key = <$s/tls/key.pem
ssl_min_protocol = $min
$cipher
disable_plaintext_auth = $plain
auth_mechanisms = plain login
login_trusted_networks =
mail_location = maildir:$s/mail/%d/%n
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=$s/mail/%d/%n
}
# mailtls runs many connections at once for one user.
mail_max_userip_connections = 100
service imap-login {
  inet_listener imap {
    port = $P143
  }
  inet_listener imaps {
    port = $P993
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $P110
  }
  inet_listener pop3s {
    port = $P995
    ssl = yes
  }
}
service auth {
  unix_listener $s/postfix/queue/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
EOF
}

stop() {
  local s=$1
  if [ -f "$s/postfix/etc/main.cf" ]; then
    postfix -c "$s/postfix/etc" stop >/dev/null 2>&1 || true
  fi
  if [ -f "$s/dovecot/dovecot.conf" ]; then
    doveadm -c "$s/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
    local pid
    pid=$(cat "$s/dovecot/run/master.pid" 2>/dev/null || true)
    if [ -n "$pid" ]; then
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  return 0
}

start() {
  local config=$1 s=$2
  case "$config" in hardened | weakened) ;; *) die "unknown configuration '$config' (hardened, weakened)" ;; esac
  stop "$s"
  rm -rf "$s"
  mkdir -p "$s"
  if [ "$(id -u)" != 0 ]; then
    # The check test then reports a skip (77): not a failure, not a pass.
    echo "Postfix and Dovecot start as root and drop privileges; not root here" >"$s/skipped"
    echo "interop: skipped: $(cat "$s/skipped")"
    return 0
  fi
  local tool
  for tool in postfix postconf dovecot doveadm openssl ss; do
    if ! command -v "$tool" >/dev/null; then
      echo "interop: $tool is missing; installing the interop packages"
      "$root/tools/install-deps" || die "tools/install-deps failed"
      break
    fi
  done
  mkdir -p "$s/mail"
  chown 65534:65534 "$s/mail"
  # The daemons' users (postfix, dovecot, nobody) must reach STATE.
  local p=$s
  while [ "$p" != / ]; do
    if [ "$(stat -c %A "$p" | cut -c10)" != x ] && [ "$(stat -c %A "$p" | cut -c10)" != t ]; then
      chmod o+x "$p" && echo "interop: made $p searchable for the daemons' users (chmod o+x)"
    fi
    p=$(dirname "$p")
  done
  USER_NAME=mailtls@mailtls.test
  head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$s/password"
  write_tls "$s/tls"
  local attempt
  for attempt in 1 2 3; do
    pick_ports
    write_postfix "$config" "$s"
    write_dovecot "$config" "$s"
    mkdir -p "$s/postfix/queue/private" "$s/postfix/queue/public"
    chown postfix "$s/postfix/queue/private"
    chown postfix:postdrop "$s/postfix/queue/public"
    chmod 700 "$s/postfix/queue/private"
    if ! dovecot -c "$s/dovecot/dovecot.conf" >"$s/dovecot/stdout.log" 2>&1; then
      echo "interop: dovecot did not start:" >&2
      cat "$s/dovecot/stdout.log" "$s/dovecot/dovecot.log" 2>/dev/null | tail -20 >&2
      stop "$s"
      continue
    fi
    # postfix reports configuration errors on a terminal or to syslog only: `script` gives it one.
    script -qc "postfix -c $s/postfix/etc check" /dev/null >"$s/postfix/check.log" 2>&1 || true
    if ! postfix -c "$s/postfix/etc" start >"$s/postfix/start.log" 2>&1; then
      echo "interop: postfix did not start:" >&2
      tail -20 "$s/postfix/check.log" "$s/postfix/start.log" "$s/postfix/maillog" >&2 2>/dev/null || true
      stop "$s"
      continue
    fi
    local ok=1 port
    for port in $P25 $P587 $P465 $P110 $P995 $P143 $P993; do
      wait_listening 127.0.0.2 "$port" 10 || { ok=0; break; }
    done
    if [ "$ok" = 1 ] && [ -S "$s/postfix/queue/private/auth" ]; then
      cat >"$s/urls" <<EOF
smtp://127.0.0.2:$P25
submission://127.0.0.2:$P587
submissions://127.0.0.2:$P465
pop3://127.0.0.2:$P110
pop3s://127.0.0.2:$P995
imap://127.0.0.2:$P143
imaps://127.0.0.2:$P993
EOF
      cat >"$s/env" <<EOF
config=$config
user=$USER_NAME
postfix=$(postconf -d -h mail_version)
dovecot=$(dovecot --version | cut -d' ' -f1)
EOF
      echo "interop: $config Postfix $(postconf -d -h mail_version) and Dovecot $(dovecot --version | cut -d' ' -f1) on 127.0.0.2 (state $s)"
      return 0
    fi
    echo "interop: attempt $attempt: a listener did not come up; retrying with new ports" >&2
    tail -5 "$s/postfix/maillog" "$s/dovecot/dovecot.log" >&2 2>/dev/null || true
    stop "$s"
  done
  die "Postfix and Dovecot did not start (state kept in $s)"
}

check() {
  local s=$1 mailtls=$2
  shift 2
  if [ -f "$s/skipped" ]; then echo "interop: skipped: $(cat "$s/skipped")"; exit 77; fi
  [ -f "$s/urls" ] || die "$s/urls missing: run 'interop.sh start' first"
  mapfile -t urls <"$s/urls"
  MAILTLS_PASSWORD=$(cat "$s/password") exec "$mailtls" check "${urls[@]}" \
    --user mailtls@mailtls.test --ca-file "$s/tls/ca.pem" --servername mail.mailtls.test "$@"
}

case "${1:-}" in
  start) [ $# = 3 ] || die "usage: interop.sh start CONFIG STATE"; start "$2" "$(realpath -m "$3")" ;;
  stop) [ $# = 2 ] || die "usage: interop.sh stop STATE"; stop "$(realpath -m "$2")" ;;
  check) [ $# -ge 3 ] || die "usage: interop.sh check STATE MAILTLS [ARG...]"; check "$(realpath -m "$2")" "${@:3}" ;;
  *) die "usage: interop.sh start CONFIG STATE | stop STATE | check STATE MAILTLS [ARG...]" ;;
esac
