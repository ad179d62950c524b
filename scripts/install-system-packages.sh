#!/bin/sh
# Debian packages the test suite needs: Chromium for the browser tests, poppler-utils (pdftoppm,
# pdftotext) to render and read PDFs, zbar-tools (zbarimg) to decode QR codes.
set -eu
PACKAGES="chromium poppler-utils zbar-tools"
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Please install these Debian packages as root, then run make test again: $PACKAGES" >&2; exit 1
fi
echo "Installing Debian packages: $PACKAGES"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null
