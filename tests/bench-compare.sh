#!/usr/bin/env bash
# Before and after in one run: the throughput benchmark (tests/bench.sh) of an earlier commit and of
# this checkout, one after the other on the same machine, so that a change is judged against the
# same load rather than against figures from another day.
#   1. checks REV out into a temporary git worktree and builds it (and this checkout) in Release;
#   2. runs REV's own tests/bench.sh, then this checkout's, with the same options (--no-build);
#   3. prints both tables. The worktree is removed on exit.
#
# usage: tests/bench-compare.sh REV [options of tests/bench.sh, e.g. --backends postgres --warmup 30]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
rev="$1"; shift
before="$(mktemp -d /tmp/socialcrm-before.XXXXXX)"
tables="$(mktemp -d /tmp/socialcrm-compare.XXXXXX)"
cleanup() { git -C "$root" worktree remove --force "$before" >/dev/null 2>&1 || rm -rf "$before"; rm -rf "$tables"; }
trap cleanup EXIT

git -C "$root" worktree add --detach "$before" "$rev" >/dev/null
for tree in "$before" "$root"; do
  echo "Building $(git -C "$tree" rev-parse --short HEAD) in Release..."
  dotnet build -c Release -v q -nologo "$tree/src/SocialCrm.Host/SocialCrm.Host.csproj" >/dev/null
  dotnet build -c Release -v q -nologo "$tree/tests/SocialCrm.LoadTest/SocialCrm.LoadTest.csproj" >/dev/null
done

echo; echo "######## before: $(git -C "$before" log --oneline -1 | cut -c1-90)"
bash "$before/tests/bench.sh" --no-build "$@" | tee "$tables/before.txt"
echo; echo "######## after: $(git -C "$root" log --oneline -1 | cut -c1-90)"
bash "$root/tests/bench.sh" --no-build "$@" | tee "$tables/after.txt"

echo; echo "######## the two tables"
for label in before after; do
  echo "-- $label"
  sed -n '/^Conversation core, inbound over HTTP/,$p' "$tables/$label.txt"
done
