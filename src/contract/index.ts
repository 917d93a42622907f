/**
 * The activity↔workflow contract: what the workflows send to and get back from the activities. Both sides import it;
 * it imports neither, so the two folders never import each other.
 */
export * from './activities';
export * from './batch';
export * from './jobs';
export * from './media';
