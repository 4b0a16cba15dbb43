#!/usr/bin/env bash
# Make sure MariaDB (127.0.0.1:3306, root without password), Redis (127.0.0.1:6379) and RabbitMQ (127.0.0.1:5672,
# guest/guest) answer; start them when they are installed but stopped; fail with a clear message when they are absent.
# RABBITMQ_VHOSTS: virtual hosts to create (the tests, the bench and deploy-check each use their own).
# --allow-root-tcp: on a plain Debian MariaDB (root by socket only), let root in over TCP with an empty password.
# Development and CI machines only: without the flag the script changes no database authentication, it says what
# is missing and fails.
set -uo pipefail
ALLOW_ROOT_TCP=0
[ "${1:-}" = "--allow-root-tcp" ] && ALLOW_ROOT_TCP=1

wait_for() {  # wait_for NAME COMMAND...
  local name=$1; shift
  for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "$name did not come up" >&2; return 1
}

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if ! command -v redis-server >/dev/null; then
    echo "Redis is not installed (Debian: apt-get install redis-server) and nothing answers on 127.0.0.1:6379" >&2
    exit 1
  fi
  echo "Starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping || exit 1
fi

mysql_ok() { mysql -h 127.0.0.1 -P 3306 -uroot -e "SELECT 1" >/dev/null 2>&1; }
if ! mysql_ok; then
  if ! mysqladmin -h 127.0.0.1 ping >/dev/null 2>&1 && ! mysqladmin ping >/dev/null 2>&1; then
    if [ ! -x /usr/sbin/mariadbd ]; then
      echo "MariaDB is not installed (Debian: apt-get install mariadb-server) and nothing answers on 127.0.0.1:3306" >&2
      exit 1
    fi
    echo "Starting MariaDB"
    mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for MariaDB mysqladmin ping || exit 1
  fi
  if ! mysql_ok; then
    if [ "$ALLOW_ROOT_TCP" != 1 ]; then
      echo "MariaDB runs but root cannot log in over TCP without a password (127.0.0.1:3306); rerun with" \
        "--allow-root-tcp to allow it (development and CI machines only)" >&2
      exit 1
    fi
    # A plain Debian install lets root in through the socket only: allow TCP with an empty password (dev/CI only).
    mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); \
      CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; \
      GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;" || true
  fi
  wait_for "MariaDB over TCP as root" mysql_ok || exit 1
fi
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! port_open 5672; then
  if ! command -v rabbitmq-server >/dev/null; then
    echo "RabbitMQ is not installed (Debian: apt-get install rabbitmq-server) and nothing answers on 127.0.0.1:5672" >&2
    exit 1
  fi
  echo "Starting RabbitMQ"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  wait_for RabbitMQ port_open 5672 || { sleep 20; port_open 5672 || { echo "RabbitMQ did not come up" >&2; exit 1; }; }
fi
for vhost in ${RABBITMQ_VHOSTS:-}; do
  if ! rabbitmqctl -q list_vhosts 2>/dev/null | grep -qx "$vhost"; then
    rabbitmqctl -q add_vhost "$vhost" >/dev/null && rabbitmqctl -q set_permissions -p "$vhost" guest ".*" ".*" ".*" >/dev/null \
      || { echo "Could not create the RabbitMQ vhost $vhost (rabbitmqctl needs root)" >&2; exit 1; }
  fi
done
echo "MariaDB, Redis and RabbitMQ are up"
