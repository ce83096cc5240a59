/**
 * Script-tag entry for the es strings, built to dist/parley.es.js: parley.js loads it
 * beside itself when the widget's language is es, keeping parley.js itself small.
 */
import { es } from '../widget/locales/es.js';
import { sendLocale } from './register-locale.js';

sendLocale('es', es);
