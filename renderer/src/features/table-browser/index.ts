import { registerTabKind } from '../../app/tab-registry';
import { TableTab } from './TableTab';

registerTabKind('table', { component: TableTab, icon: '▦' });
