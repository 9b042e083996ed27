/** Everything about files that is not needed before the first one appears: one lazy chunk. */
export { Attachments } from './Attachments';
export { transfer } from './transfer';
export { UploadTray } from './UploadTray';
