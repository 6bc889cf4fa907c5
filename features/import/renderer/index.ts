import './import.css';

export { ImportDialog } from './ImportDialog';
