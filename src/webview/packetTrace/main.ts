/**
 * Entry point of the Packet Trace webview (bundled to dist/webview/packetTrace.js). The host's
 * HTML shell provides <div id="app">.
 */
import { TraceApp } from './traceApp';

const root = document.getElementById('app');
if (root) new TraceApp(root);
