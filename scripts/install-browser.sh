#!/usr/bin/env bash
# Debian's Chromium (for the Playwright browser tests) and Noto CJK (so Chinese renders in
# screenshots, charts and PDFs). Installs them when missing and apt-get may be used; otherwise
# says why the browser tests will be skipped (under CI=true they fail instead).
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
command -v msgfmt >/dev/null || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} from Debian's packages..."
  export DEBIAN_FRONTEND=noninteractive
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}") \
    >/tmp/fupin-apt.log 2>&1 || { echo "apt-get failed; see /tmp/fupin-apt.log"; tail -5 /tmp/fupin-apt.log; }
else
  echo "Cannot install ${missing[*]} (not root or no apt-get): browser tests will be skipped."
fi
exit 0
