/**
 * Entry point of the Who Floods webview (bundled to dist/webview/floods.js). The host's HTML
 * shell provides <div id="app">.
 */
import { FloodsApp } from './floodsApp';

const root = document.getElementById('app');
if (root) new FloodsApp(root);
