import { closeEmbeddedDatabase } from './database';
import { removeTempDirs } from './tempDirs';

afterAll(closeEmbeddedDatabase);
afterAll(removeTempDirs);
