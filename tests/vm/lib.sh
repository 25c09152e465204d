# SPDX-License-Identifier: GPL-2.0
# Shared settings for the guest harness. Sourced, not executed.
#
# Everything downloaded or built lives under $VDPA_CACHE (default
# ~/.cache/vdpa-suite), never in the git tree.

VDPA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VDPA_CACHE=${VDPA_CACHE:-${HOME:-/root}/.cache/vdpa-suite}
# The supported kernel matrix, by the short names users pass to KERNELS=.
VDPA_KERNELS_ALL="6.1 6.12 sid 6.12-debug"
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# step WHAT CMD...: say WHAT, run CMD with its output in a log file of
# its own under $VDPA_CACHE/logs; if it fails, name the step and the log,
# show the log's tail and exit.
step() {
	local what=$1 logf; shift
	mkdir -p "$VDPA_CACHE/logs"
	logf=$VDPA_CACHE/logs/$(printf '%s' "$what" | tr -cs 'A-Za-z0-9.-' '-' |
		cut -c1-60 | sed 's/-$//').log
	log "$what"
	if ! "$@" >"$logf" 2>&1; then
		log "error: step failed: $what"
		tail -15 "$logf" | sed 's/^/    /' >&2
		die "the whole log of that step: $logf"
	fi
}

# apt for suites other than the host's own, with a private state and cache
# directory so the host's apt sources are never touched.
#   suite_apt SUITE apt-get ARGS...
suite_apt() {
	local suite=$1; shift
	local d=$VDPA_CACHE/apt/$suite
	if [ ! -f "$d/apt.conf" ]; then
		mkdir -p "$d/etc/apt/sources.list.d" "$d/etc/apt/preferences.d" "$d/etc/apt/apt.conf.d" \
			"$d/state/lists/partial" "$d/cache/archives/partial"
		local key=/usr/share/keyrings/debian-archive-keyring.gpg
		for s in $suite; do
			echo "deb [signed-by=$key] $DEBIAN_MIRROR $s main"
		done > "$d/etc/apt/sources.list"
		cat > "$d/apt.conf" <<EOC
Dir::Etc "$d/etc/apt";
Dir::State "$d/state";
Dir::Cache "$d/cache";
Dir::State::status "$d/state/status";
Acquire::Check-Valid-Until "false";
APT::Get::List-Cleanup "false";
APT::Sandbox::User "root";
EOC
		touch "$d/state/status"
	fi
	APT_CONFIG=$d/apt.conf "$@"
}

# syntax_check FILE...: bash -n of each file; prints what bash found and
# fails if any file does not parse (a sourced test file with a syntax
# error would otherwise run up to the error and silently stop there)
syntax_check() {
	local f rc=0
	for f; do bash -n "$f" || rc=1; done
	return $rc
}

# copy_source DEST: a fresh copy of the source tree in DEST, the files a
# clone has (what a user's tarball holds; find where git is missing)
copy_source() {
	rm -rf "$1"; mkdir -p "$1"
	source_files | (cd "$VDPA_TOP" && xargs -0 cp --parents -t "$1")
}

# source_files: the suite's files (NUL-separated, relative to the top):
# what git tracks or would track, or every file outside .git
source_files() {
	(cd "$VDPA_TOP" && git ls-files -co --exclude-standard -z 2>/dev/null ||
		find . -type f -not -path './.git/*' -print0)
}

# source_hash: one hash of the names and contents of the suite's files
source_hash() {
	source_files | sort -z | (cd "$VDPA_TOP" && xargs -0 sha1sum) |
		sha1sum | cut -d' ' -f1
}

# Kernel K's unpacked packages: $(kroot K)/boot/vmlinuz-*, lib/modules/...
kroot() { echo "$VDPA_CACHE/kernels/$1"; }
# The release string (uname -r) of kernel K, once fetched.
krel() { cat "$(kroot "$1")/release" 2>/dev/null; }

# diag [N]: the last N (30) lines of stdin as TAP diagnostics
diag() { sed 's/^/#   /' | tail -"${1:-30}"; }

# judge_guest_run RC OUT: the TAP line for one guest run of the suite
# (tests/vm/run's exit status RC, its output in OUT). The boot is a test
# of its own: it passes when the suite ran to its summary line, the
# harness found nothing wrong (crash, hang, kernel-log report, leak: lines
# starting "vm: "; a boot retried after a report before the suite ran is
# a "# vm: " note, not a failure) and the run's exit status agrees with
# the summary (0 exactly when no test failed); failed tests are counted
# by their own lines.
judge_guest_run() {
	local rc=$1 out=$2 summary
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -1)
	if [ -n "$summary" ] && ! grep -q '^vm: ' "$out" &&
	   { [ "$rc" = 0 ] || [ "${summary#*, }" != "0 failed" ]; } &&
	   { [ "$rc" != 0 ] || [ "${summary#*, }" = "0 failed" ]; }; then
		echo "ok - guest run (clean kernel log)"
	else
		echo "not ok - guest run (exit status $rc${summary:+, suite: $summary})"
		grep -v -E '^(ok|not ok|#) ' "$out" | diag 40
	fi
}
