// Each feature registers its tab kinds and shortcuts when imported. Add new features here.
import './table-browser';
import './schema-designer';
import './diagnostics';
import './galera';
import './migrations';
import './sql-editor';
