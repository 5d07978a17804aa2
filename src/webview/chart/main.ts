/**
 * Entry point of the Chart webview (bundled to dist/webview/chart.js). The host's HTML shell
 * provides <div id="app">.
 */
import { ChartApp } from './chartApp';

const root = document.getElementById('app');
if (root) new ChartApp(root);
