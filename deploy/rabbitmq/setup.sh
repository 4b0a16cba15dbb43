#!/bin/sh
# Give this machine's RabbitMQ the app's vhost and user, and delete guest. Run as root (rabbitmqctl), once after
# installing rabbitmq.conf, again to change the password (idempotent); the password comes on stdin:
#   sh deploy/rabbitmq/setup.sh < /etc/lingua/rabbitmq_password
# then BROKER_URL=amqp://lingua:PASSWORD@127.0.0.1:5672/lingua in /etc/lingua/env.
# RABBITMQ_VHOST and RABBITMQ_USER (default lingua) name them; RABBITMQCTL another rabbitmqctl (e.g. with -n NODE).
set -eu
vhost=${RABBITMQ_VHOST:-lingua}
user=${RABBITMQ_USER:-lingua}
ctl=${RABBITMQCTL:-rabbitmqctl}

IFS= read -r password || true
[ -n "$password" ] || { echo "setup.sh: give the password on stdin" >&2; exit 1; }

has() { grep -qx "$1"; }
$ctl -s list_vhosts name | has "$vhost" || $ctl add_vhost "$vhost"
if $ctl -s list_users | cut -f1 | has "$user"; then
  printf '%s\n' "$password" | $ctl change_password "$user"  # rabbitmqctl reads it from stdin: not in `ps`
else
  printf '%s\n' "$password" | $ctl add_user "$user"
fi
# Everything within its own vhost (Dramatiq declares its queues: configure), nothing elsewhere; no tags (no
# management or administrator rights).
$ctl set_permissions -p "$vhost" "$user" '.*' '.*' '.*'
$ctl set_user_tags "$user"
if $ctl -s list_users | cut -f1 | has guest; then
  $ctl delete_user guest
fi
echo "RabbitMQ: vhost $vhost, user $user (guest deleted)"
