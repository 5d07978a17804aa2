/**
 * The chart's colours from VS Code's theme variables (read from the page's computed style, as
 * canvas drawing cannot use CSS variables), with fallbacks for a page without a theme.
 */
const SERIES_VARIABLES: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-red', '#f14c4c'],
  ['--vscode-charts-yellow', '#cca700'],
];

export interface ChartColors {
  foreground: string;
  grid: string;
  background: string;
  series(index: number): string;
}

export function chartColors(): ChartColors {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const palette = SERIES_VARIABLES.map(([name, fallback]) => read(name, fallback));
  return {
    foreground: read('--vscode-foreground', '#cccccc'),
    grid: read('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.35)'),
    background: read('--vscode-editor-background', '#1e1e1e'),
    // Past the palette, the same hues again: the legend tells them apart by name.
    series: (index) => palette[index % palette.length],
  };
}
