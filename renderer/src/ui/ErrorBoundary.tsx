import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** What stopped working, for the message: "This tab", "DB Desk". */
  what: string;
  /** The way out the user is offered: render the part again, or reload the whole window. */
  recover: 'retry' | 'reload';
  children: ReactNode;
}

/**
 * Catches an exception thrown while rendering its part of the window. Without one, React unmounts
 * the whole tree: a bug in one tab would blank the window and every other tab with it. A tab's
 * connection and session live in the core, not in React's tree, so "Try again" draws the same tab
 * on the same session.
 */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    // The window's console is where a developer looks; the component stack says which part broke.
    console.error(`${this.props.what} stopped rendering:`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="empty-state" role="alert">
        <h2>{this.props.what} stopped working</h2>
        <p>
          It hit an error while drawing: <code>{error.message}</code>
        </p>
        <p>
          Nothing was sent to the database because of it.{' '}
          {this.props.recover === 'retry' ? 'The other tabs are not affected.' : 'Saved connections, queries and editor tabs are kept.'}
        </p>
        {this.props.recover === 'retry' ? (
          <button className="btn btn-primary" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        ) : (
          <button className="btn btn-primary" onClick={() => window.location.reload()}>
            Reload the window
          </button>
        )}
      </div>
    );
  }
}
