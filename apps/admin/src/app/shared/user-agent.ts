/**
 * A User-Agent header in a few words ("Chrome 131 on macOS"), so a list of sessions can be told
 * apart at a glance. A rough reading: the full header stays available as a tooltip.
 */

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\bOPR\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Headless Chrome', /\bHeadlessChrome\/(\d+)/],
  ['Chromium', /\bChromium\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
];

// Android and iOS before Linux and macOS, whose names their headers also carry.
const SYSTEMS: [name: string, pattern: RegExp][] = [
  ['Android', /\bAndroid\b/],
  ['iOS', /\b(?:iPhone|iPad|iPod)\b/],
  ['Windows', /\bWindows\b/],
  ['ChromeOS', /\bCrOS\b/],
  ['macOS', /\bMac OS X\b|\bMacintosh\b/],
  ['Linux', /\bLinux\b/],
];

export function describeUserAgent(userAgent: string | null | undefined): string {
  const header = userAgent?.trim();
  if (!header) {
    return 'Unknown browser';
  }

  const system = SYSTEMS.find(([, pattern]) => pattern.test(header))?.[0];
  for (const [name, pattern] of BROWSERS) {
    const version = pattern.exec(header)?.[1];
    if (version) {
      return system ? `${name} ${version} on ${system}` : `${name} ${version}`;
    }
  }

  // Not a browser (curl, a script): its first product token says enough.
  const product = header.split(/\s+/)[0].slice(0, 40);

  return system ? `${product} on ${system}` : product;
}
