#!/usr/bin/env bash
# LibreOffice (DOCX -> PDF/ODT with a filled table of contents), metric-compatible fonts,
# poppler (PDF text for tests, page thumbnails of cil serve) and chromium with its driver and
# its translations (the browser tests of cil serve, French date fields in their screenshots),
# from Debian's packages, installed only when missing.
set -euo pipefail
packages=(libreoffice-writer-nogui python3-uno fonts-liberation fonts-crosextra-carlito
          fonts-crosextra-caladea poppler-utils chromium chromium-driver chromium-l10n)
have() { command -v soffice >/dev/null && command -v pdftotext >/dev/null \
         && command -v chromium >/dev/null && command -v chromedriver >/dev/null \
         && /usr/bin/python3 -c "import uno" 2>/dev/null \
         && ls /usr/lib/chromium/locales/fr.pak >/dev/null 2>&1 \
         && fc-list | grep -i carlito >/dev/null; }  # not -q: an early exit fails the pipe
if have; then exit 0; fi
if ! command -v apt-get >/dev/null; then
  echo "LibreOffice is missing and this is not a Debian system: install ${packages[*]} by hand;" \
       "PDF output and the PDF tests are skipped until then." >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "LibreOffice is missing and installing it needs root: apt-get install ${packages[*]}" >&2
    exit 0
  fi
fi
echo "Installing LibreOffice, fonts and chromium from Debian's packages (a minute or two)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
