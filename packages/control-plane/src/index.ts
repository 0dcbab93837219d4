export { createDb } from './database/client';
