/**
 * Script-tag entry for the de strings, built to dist/parley.de.js: parley.js loads it
 * beside itself when the widget's language is de, keeping parley.js itself small.
 */
import { de } from '../widget/locales/de.js';
import { sendLocale } from './register-locale.js';

sendLocale('de', de);
