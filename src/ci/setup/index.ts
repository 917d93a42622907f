/** Public API of the CI setup and management client. */
export { CiSetupClient } from './client';
export type { CiSetupClientOptions } from './client';
export { parseBucketPage, parseQueuePage, parseTablePage, parseTemplatePage } from './parse';
export type * from './types';
export { queueUpdateXml, hotVocabXml, templateXml as templateRequestXml } from './xml-body';
