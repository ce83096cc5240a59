/**
 * Script-tag entry for the ar strings, built to dist/parley.ar.js: parley.js loads it
 * beside itself when the widget's language is ar, keeping parley.js itself small.
 */
import { ar } from '../widget/locales/ar.js';
import { sendLocale } from './register-locale.js';

sendLocale('ar', ar);
