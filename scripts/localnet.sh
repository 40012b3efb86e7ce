#!/usr/bin/env bash
# Runs a local Mindnet network of 1 to 4 validators on loopback, for development and demos.
#
#   scripts/localnet.sh start [--validators N]   build if needed, initialise (first time) and start
#   scripts/localnet.sh init [--validators N]    initialise fresh state without starting (to edit genesis)
#   scripts/localnet.sh status                   height and peers of each node
#   scripts/localnet.sh stop                     stop every node (state is kept)
#   scripts/localnet.sh reset                    stop and delete all state
#
# State lives under .localnet/ (ignored by git). Node i (0-based) listens on:
#   CometBFT RPC 26657+10i, P2P 26656+10i, REST API 1317+i, gRPC 9090+i.
# Developer accounts alice, bob and charlie (test keyring in .localnet/node0) are funded at genesis.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${MINDNETD:-$ROOT/build/mindnetd}
DIR=${LOCALNET_DIR:-$ROOT/.localnet}
CHAIN_ID=${CHAIN_ID:-mindnet-local-1}
DENOM=umind
DEV_ACCOUNTS=(alice bob charlie)
DEV_BALANCE=1000000000000${DENOM}       # 1,000,000 MIND each
VALIDATOR_BALANCE=1000000000000${DENOM}
SELF_DELEGATION=100000000000${DENOM}    # 100,000 MIND bonded by each validator

die() { echo "localnet: $*" >&2; exit 1; }
rpc_port() { echo $((26657 + 10 * $1)); }
p2p_port() { echo $((26656 + 10 * $1)); }
api_port() { echo $((1317 + $1)); }
grpc_port() { echo $((9090 + $1)); }
home_of() { echo "$DIR/node$1"; }

node_count() {
  [ -f "$DIR/validators" ] && cat "$DIR/validators" || echo 0
}

ensure_binary() {
  if [ ! -x "$BIN" ] || [ -n "$(find "$ROOT" -name '*.go' -newer "$BIN" -not -path '*/.localnet/*' -print -quit 2>/dev/null)" ]; then
    echo "building mindnetd…"
    (cd "$ROOT" && make build >/dev/null)
  fi
}

# set_toml FILE SECTION KEY VALUE: sets KEY = VALUE inside [SECTION] ("" for the top level).
set_toml() {
  local file=$1 section=$2 key=$3 value=$4
  awk -v section="$section" -v key="$key" -v value="$value" '
    /^\[/ { current = substr($0, 2, length($0) - 2) }
    current == section && $1 == key && $2 == "=" { print key " = " value; next }
    { print }
  ' "$file" >"$file.tmp" && mv "$file.tmp" "$file"
}

init_network() {
  local n=$1
  rm -rf "$DIR"
  mkdir -p "$DIR"
  echo "$n" >"$DIR/validators"

  for ((i = 0; i < n; i++)); do
    local home
    home=$(home_of "$i")
    "$BIN" init "validator$i" --chain-id "$CHAIN_ID" --home "$home" >/dev/null 2>&1
    "$BIN" keys add "validator$i" --keyring-backend test --home "$home" >/dev/null 2>&1
  done

  local home0
  home0=$(home_of 0)
  for name in "${DEV_ACCOUNTS[@]}"; do
    "$BIN" keys add "$name" --keyring-backend test --home "$home0" >/dev/null 2>&1
    "$BIN" genesis add-genesis-account "$name" "$DEV_BALANCE" --keyring-backend test --home "$home0"
  done
  for ((i = 0; i < n; i++)); do
    local addr
    addr=$("$BIN" keys show "validator$i" -a --keyring-backend test --home "$(home_of "$i")")
    "$BIN" genesis add-genesis-account "$addr" "$VALIDATOR_BALANCE" --home "$home0"
  done

  # Short governance periods so that proposals can be tried locally within a minute.
  sed -i -e 's/"voting_period": "[^"]*"/"voting_period": "30s"/' \
         -e 's/"expedited_voting_period": "[^"]*"/"expedited_voting_period": "15s"/' \
         -e 's/"max_deposit_period": "[^"]*"/"max_deposit_period": "60s"/' "$home0/config/genesis.json"

  for ((i = 0; i < n; i++)); do
    local home
    home=$(home_of "$i")
    [ "$i" -gt 0 ] && cp "$home0/config/genesis.json" "$home/config/genesis.json"
    "$BIN" genesis gentx "validator$i" "$SELF_DELEGATION" --chain-id "$CHAIN_ID" \
      --keyring-backend test --home "$home" --output-document "$DIR/gentx-$i.json" >/dev/null 2>&1
  done
  mkdir -p "$home0/config/gentx"
  cp "$DIR"/gentx-*.json "$home0/config/gentx/"
  "$BIN" genesis collect-gentxs --home "$home0" >/dev/null 2>&1
  "$BIN" genesis validate --home "$home0" >/dev/null

  local peers=""
  for ((i = 0; i < n; i++)); do
    local id
    id=$("$BIN" comet show-node-id --home "$(home_of "$i")")
    peers+="${peers:+,}$id@127.0.0.1:$(p2p_port "$i")"
  done

  for ((i = 0; i < n; i++)); do
    local home cfg app
    home=$(home_of "$i")
    cfg=$home/config/config.toml
    app=$home/config/app.toml
    [ "$i" -gt 0 ] && cp "$home0/config/genesis.json" "$home/config/genesis.json"
    set_toml "$cfg" "" proxy_app "\"tcp://127.0.0.1:$((26658 + 10 * i))\""
    set_toml "$cfg" rpc laddr "\"tcp://127.0.0.1:$(rpc_port "$i")\""
    set_toml "$cfg" rpc pprof_laddr "\"\""
    set_toml "$cfg" p2p laddr "\"tcp://127.0.0.1:$(p2p_port "$i")\""
    set_toml "$cfg" p2p persistent_peers "\"$peers\""
    set_toml "$cfg" p2p allow_duplicate_ip true
    set_toml "$cfg" p2p addr_book_strict false
    set_toml "$cfg" consensus timeout_commit "\"1s\""
    set_toml "$cfg" instrumentation prometheus false
    set_toml "$app" api enable true
    set_toml "$app" api address "\"tcp://127.0.0.1:$(api_port "$i")\""
    set_toml "$app" grpc address "\"127.0.0.1:$(grpc_port "$i")\""
  done
}

parse_validators() {
  VALIDATORS=1
  while [ $# -gt 0 ]; do
    case $1 in
      --validators) VALIDATORS=${2:-}; shift 2 || die "--validators needs a number" ;;
      --validators=*) VALIDATORS=${1#*=}; shift ;;
      *) die "unknown option $1 (usage: localnet.sh start|init [--validators N])" ;;
    esac
  done
  [[ "$VALIDATORS" =~ ^[1-4]$ ]] || die "--validators must be 1, 2, 3 or 4 (got '$VALIDATORS')"
}

# init writes a fresh network's state without starting it, so that a caller can edit the genesis
# (every node's config/genesis.json) before the first start.
init() {
  parse_validators "$@"
  ensure_binary
  stop >/dev/null
  init_network "$VALIDATORS"
  echo "localnet initialised in $DIR ($VALIDATORS validator(s)); edit $(home_of 0)/config/genesis.json and the other nodes' copies, then run start"
}

start() {
  parse_validators "$@"
  local n=$VALIDATORS

  ensure_binary
  if [ "$(node_count)" != "$n" ]; then
    [ "$(node_count)" != 0 ] && { stop >/dev/null; echo "switching to $n validator(s): resetting .localnet"; }
    init_network "$n"
  fi

  for ((i = 0; i < n; i++)); do
    local home pidfile
    home=$(home_of "$i")
    pidfile=$home/mindnetd.pid
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "node$i already running (pid $(cat "$pidfile"))"
      continue
    fi
    nohup "$BIN" start --home "$home" >"$home/node.log" 2>&1 &
    echo $! >"$pidfile"
  done

  echo "waiting for the first block…"
  for _ in $(seq 1 60); do
    if [ "$(height 0)" -ge 1 ] 2>/dev/null; then break; fi
    sleep 0.5
  done
  [ "$(height 0)" -ge 1 ] 2>/dev/null || die "no block after 30 s; see $(home_of 0)/node.log"

  echo
  echo "Mindnet localnet is running: $n validator(s), chain-id $CHAIN_ID, height $(height 0)"
  for ((i = 0; i < n; i++)); do
    echo "  node$i  rpc http://127.0.0.1:$(rpc_port "$i")  rest http://127.0.0.1:$(api_port "$i")  grpc 127.0.0.1:$(grpc_port "$i")  log $(home_of "$i")/node.log"
  done
  echo
  echo "Developer accounts (keyring-backend test, --home $(home_of 0)):"
  for name in "${DEV_ACCOUNTS[@]}"; do
    echo "  $name  $("$BIN" keys show "$name" -a --keyring-backend test --home "$(home_of 0)")"
  done
  echo
  echo "Try:  $BIN tx bank send alice \$($BIN keys show bob -a --keyring-backend test --home $(home_of 0)) 1000umind \\"
  echo "        --home $(home_of 0) --keyring-backend test --chain-id $CHAIN_ID --yes"
}

height() {
  curl -fsS "http://127.0.0.1:$(rpc_port "$1")/status" 2>/dev/null |
    sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p'
}

status() {
  local n
  n=$(node_count)
  [ "$n" -gt 0 ] || { echo "no localnet (run: scripts/localnet.sh start)"; return 0; }
  for ((i = 0; i < n; i++)); do
    local pidfile state
    pidfile=$(home_of "$i")/mindnetd.pid
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      local peers
      peers=$(curl -fsS "http://127.0.0.1:$(rpc_port "$i")/net_info" 2>/dev/null | sed -n 's/.*"n_peers":"\([0-9]*\)".*/\1/p')
      state="running pid $(cat "$pidfile"), height ${height_v:-$(height "$i")}, peers ${peers:-?}"
    else
      state="stopped"
    fi
    echo "node$i: $state"
  done
}

stop() {
  local n
  n=$(node_count)
  for ((i = 0; i < n; i++)); do
    local pidfile
    pidfile=$(home_of "$i")/mindnetd.pid
    if [ -f "$pidfile" ]; then
      local pid
      pid=$(cat "$pidfile")
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -9 "$pid" 2>/dev/null || true
        echo "node$i stopped"
      fi
      rm -f "$pidfile"
    fi
  done
}

reset() {
  stop
  rm -rf "$DIR"
  echo "localnet state deleted ($DIR)"
}

cmd=${1:-}
shift || true
case $cmd in
  start) start "$@" ;;
  init) init "$@" ;;
  status) status ;;
  stop) stop ;;
  reset) reset ;;
  *) echo "usage: $0 {start [--validators N]|init [--validators N]|status|stop|reset}" >&2; exit 2 ;;
esac
