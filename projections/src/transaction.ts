export { inTransaction } from '@palabre/event-store';
