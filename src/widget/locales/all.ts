/**
 * Registers every shipped locale table beyond English. The npm entry imports this;
 * the script tag does not (it loads one table file on demand to stay small).
 */
import { registerLocale } from '../strings.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { es } from './es.js';

registerLocale('es', es);
registerLocale('de', de);
registerLocale('ar', ar);
