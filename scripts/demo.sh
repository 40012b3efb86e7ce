#!/usr/bin/env bash
# make demo: starts a local Mindnet network and shows it working, refreshing until Ctrl-C.
# Ctrl-C stops everything this script started and says where the logs are.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/build/mindnetd
HOME0=$ROOT/.localnet/node0
REST=http://127.0.0.1:1317

started=0
cleanup() {
  echo
  if [ "$started" = 1 ]; then
    "$ROOT/scripts/localnet.sh" stop
  fi
  echo "logs: $HOME0/node.log (state kept in .localnet/; 'scripts/localnet.sh reset' deletes it)"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

# Marked before starting: a Ctrl-C while the first block is awaited must still stop the nodes.
started=1
"$ROOT/scripts/localnet.sh" start

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p"; }

while true; do
  block=$(curl -fsS "$REST/cosmos/base/tendermint/v1beta1/blocks/latest" 2>/dev/null || true)
  height=$(printf '%s' "$block" | field height | head -1)
  time=$(printf '%s' "$block" | field time | head -1)
  subnets=$(curl -fsS "$REST/mindnet/subnet/v1/subnets" 2>/dev/null | grep -o '"netuid":' | wc -l)
  cost=$(curl -fsS "$REST/mindnet/subnet/v1/subnet_creation_cost" 2>/dev/null | field cost)
  supply=$(curl -fsS "$REST/cosmos/bank/v1beta1/supply/by_denom?denom=umind" 2>/dev/null | field amount || true)
  printf '\033[2J\033[H'
  echo "Mindnet local network (Ctrl-C to stop)"
  echo
  echo "  height        ${height:-?}"
  echo "  block time    ${time:-?}"
  echo "  supply        ${supply:-?} umind"
  echo "  subnets       ${subnets:-?} (netuid 0 is the root subnet)"
  echo "  subnet cost   ${cost:-?} umind to create the next one"
  echo
  echo "  REST  $REST   gRPC 127.0.0.1:9090   CometBFT RPC http://127.0.0.1:26657"
  echo "  CLI   $BIN q subnet params --home $HOME0"
  sleep 1
done
