// The stylesheet of the HTML report, inline in the page and allowed by its hash in the Content-Security-Policy.
export const CSS = `
:root { --passed: #2f855a; --failed: #c53030; --error: #9b2c2c; --flaky: #d69e2e; --skipped: #a0aec0;
  --findings: #2b6cb0; --ink: #1a202c; --muted: #5a6473; --line: #e2e8f0; --paper: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 16px 48px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin: 0 0 20px;
  box-shadow: 0 1px 2px rgba(0, 0, 0, 0.04); }
h1 { margin: 0 0 8px; font-size: 26px; display: flex; align-items: center; gap: 12px; flex-wrap: wrap; }
h2 { margin: 0 0 12px; font-size: 20px; }
h3 { margin: 16px 0 8px; font-size: 16px; }
h3 small { color: var(--muted); font-weight: normal; }
header.verdict-pass { border-top: 6px solid var(--passed); }
header.verdict-fail { border-top: 6px solid var(--failed); }
.verdict { font-size: 14px; color: #fff; padding: 3px 12px; border-radius: 999px; text-transform: uppercase;
  letter-spacing: 0.04em; }
.verdict-pass .verdict { background: var(--passed); }
.verdict-fail .verdict { background: var(--failed); }
.headline { font-size: 18px; font-weight: 600; margin: 4px 0; }
.meta, .note, .more, .empty, footer { color: var(--muted); }
.summary { font-size: 17px; max-width: 80ch; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 12px 0; }
.totals li { border: 1px solid var(--line); border-left-width: 5px; border-radius: 6px; padding: 4px 12px; }
.totals b { font-size: 18px; }
.totals .passed { border-left-color: var(--passed); } .totals .failed { border-left-color: var(--failed); }
.totals .error { border-left-color: var(--error); } .totals .flaky { border-left-color: var(--flaky); }
.totals .skipped { border-left-color: var(--skipped); }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #f1f3f6; border-radius: 6px; padding: 10px 12px; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td code { word-break: break-word; }
.findings td:nth-child(1) code, .findings td:nth-child(5) code { white-space: nowrap; }
.findings td:nth-child(6) { min-width: 170px; }
td.count { text-align: right; font-variant-numeric: tabular-nums; }
td.message { min-width: 280px; }
.status { color: var(--muted); }
.badge { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 12px; font-weight: 600;
  text-transform: uppercase; }
.risk-high { background: #fed7d7; color: #822727; } .risk-medium { background: #feebc8; color: #7b341e; }
.risk-low { background: #e2e8f0; color: #2d3748; }
details { margin-top: 6px; } summary { cursor: pointer; color: var(--findings); }
.charts { display: grid; gap: 28px; }
figure { margin: 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { width: 100%; height: auto; max-width: 900px; display: block; font-size: 12px; }
svg .grid { stroke: var(--line); } svg .tick-mark { stroke: var(--muted); }
svg .tick, svg .label, svg .value { fill: var(--muted); } svg .label { fill: var(--ink); }
svg .axis { fill: var(--ink); font-weight: 600; }
svg .bar.passed { fill: var(--passed); } svg .bar.failed { fill: var(--failed); }
svg .bar.flaky { fill: var(--flaky); } svg .bar.skipped { fill: var(--skipped); }
svg .bar.latency { fill: #4a7fc1; }
svg .marker line { stroke: var(--ink); stroke-dasharray: 4 3; } svg .marker text { fill: var(--ink); }
svg .marker.budget line { stroke: var(--failed); } svg .marker.budget text { fill: var(--failed); }
svg .findings-line { fill: none; stroke: var(--findings); stroke-width: 2; }
svg .point { fill: #fff; stroke: var(--findings); stroke-width: 2; }
.legend { display: flex; gap: 16px; list-style: none; padding: 0; margin: 6px 0 0; font-size: 13px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin-right: 6px;
  vertical-align: -1px; }
.swatch.passed { background: var(--passed); } .swatch.failed { background: var(--failed); }
.swatch.flaky { background: var(--flaky); } .swatch.skipped { background: var(--skipped); }
.swatch.findings { background: var(--findings); height: 3px; vertical-align: 3px; }
.titles { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 6px; }
.title { border-radius: 6px; padding: 1px 8px; font-size: 13px; }
.title.passing { background: #e6f4ea; color: #22543d; } .title.failing { background: #fde8e8; color: #822727; }
.title.untested { background: #f1f3f6; color: var(--muted); }
footer { text-align: center; font-size: 13px; }
@media print {
  body { background: #fff; font-size: 12px; }
  main { max-width: none; padding: 0; }
  .card { box-shadow: none; border: none; border-top: 1px solid #ccc; border-radius: 0; padding: 12px 0; }
  figure, tr, .journey { break-inside: avoid; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
`;
