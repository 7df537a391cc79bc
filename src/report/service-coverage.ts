// The code of the started service the run reached (`--start` with a Node.js service), for the Markdown and HTML
// reports: one sentence, and in the page a table by file.
import type { ServiceCoverage } from '../cases/index.ts';
import { html, type Markup } from './html-markup.ts';

/** "87% of lines, 71% of branches"; a file with no branch says "no branches". */
function percent({ covered, total }: { covered: number; total: number }): string {
  return total === 0 ? '–' : `${Math.floor((100 * covered) / total)}%`;
}

export function serviceCoverageSentence(coverage: ServiceCoverage): string {
  const files = coverage.files.length === 1 ? '1 file' : `${coverage.files.length} files`;
  return (
    `Service code reached: ${percent(coverage.lines)} of lines, ${percent(coverage.branches)} of branches ` +
    `(${coverage.lines.covered} of ${coverage.lines.total} lines, ${coverage.branches.covered} of ` +
    `${coverage.branches.total} branches, in ${files} of the service's own code).`
  );
}

/** The Markdown section: the sentence only, a comment has no room for a table by file. */
export function serviceCoverageMarkdown(coverage: ServiceCoverage | undefined): string[] {
  if (!coverage) return [];
  return ['## Service code reached', '', serviceCoverageSentence(coverage), ''];
}

export function serviceCoverageHtml(coverage: ServiceCoverage | undefined): Markup | undefined {
  if (!coverage) return undefined;
  return html`<section class="card" id="service-coverage">
    <h2>Service code reached</h2>
    <p>${serviceCoverageSentence(coverage)}</p>
    <table>
      <thead>
        <tr>
          <th>file</th>
          <th>lines</th>
          <th>branches</th>
        </tr>
      </thead>
      <tbody>
        ${coverage.files.map(
          (f) =>
            html`<tr>
              <td><code>${f.file}</code></td>
              <td>${percent(f.lines)} (${f.lines.covered}/${f.lines.total})</td>
              <td>${percent(f.branches)} (${f.branches.covered}/${f.branches.total})</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
