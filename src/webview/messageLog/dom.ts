/** The DOM helpers every view shares (src/webview/shared/dom.ts), under the Message Log's path. */
export * from '../shared/dom';
