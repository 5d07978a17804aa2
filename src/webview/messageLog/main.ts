/**
 * Entry point of the Message Log webview (bundled to dist/webview/messageLog.js). The host's
 * HTML shell provides <div id="app" data-mode="panel|view">.
 */
import { App } from './app';

const root = document.getElementById('app');
if (root) new App(root);
