import { closeEmbeddedDatabase } from './database';

afterAll(closeEmbeddedDatabase);
