const GAP = "  ";
/** The last column never gets narrower than this, however wide the others are. */
const MIN_LAST_COLUMN = 24;

/** Break `text` into lines of at most `width` characters, at spaces where possible. */
const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    let rest = word;
    while (rest.length > width) {
      if (current !== "") lines.push(current);
      lines.push(rest.slice(0, width));
      current = "";
      rest = rest.slice(width);
    }
    if (current === "") current = rest;
    else if (current.length + 1 + rest.length <= width) current = `${current} ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  lines.push(current);
  return lines;
};

/** A paragraph wrapped to a terminal's `width`, or left on one line when there is no terminal. */
export const wrapParagraph = (text: string, width?: number): string[] =>
  width === undefined ? [text] : wrap(text, Math.max(MIN_LAST_COLUMN, width - 1));

/**
 * A plain-text table: upper-case headers, columns padded to their widest cell, two spaces apart.
 * With a terminal `width`, the last column (the long, sentence-like one) wraps under itself;
 * without one (a pipe or a file), every row stays on one line so that `grep` and `cut` work.
 */
export const renderTable = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  width?: number,
): string[] => {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const fixed = widths.slice(0, -1);
  const indent = fixed.reduce((sum, w) => sum + w + GAP.length, 0);
  const lastWidth = width === undefined ? undefined : Math.max(MIN_LAST_COLUMN, width - indent - 1);
  const render = (cells: readonly string[]): string[] => {
    const last = cells[headers.length - 1] ?? "";
    const wrapped: string[] = lastWidth === undefined ? [last] : wrap(last, lastWidth);
    const [first = "", ...more] = wrapped;
    const head = fixed.map((w, i) => `${(cells[i] ?? "").padEnd(w)}${GAP}`).join("");
    return [`${head}${first}`, ...more.map((line) => `${" ".repeat(indent)}${line}`)].map((line) => line.trimEnd());
  };
  return [...render(headers.map((header) => header.toUpperCase())), ...rows.flatMap((row) => render(row))];
};
