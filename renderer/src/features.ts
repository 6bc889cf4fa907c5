// Each feature registers its tab kinds and shortcuts when imported. Add new features here.
import '../../features/table-browser/renderer';
import '../../features/designer/renderer';
import '../../features/diagnostics/renderer';
import '../../features/galera/renderer';
import '../../features/import/renderer';
import '../../features/migrations/renderer';
import '../../features/schema-compare/renderer';
import '../../features/sql-editor/renderer';
