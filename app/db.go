package app

// Close closes the application's databases once. The SDK's start command calls Close twice on
// shutdown (after stopping the servers and again in its clean-up); goleveldb shrugs that off, but Pebble
// (DefaultDBBackend) panics on a second close, which turned every Ctrl-C into a crash.
func (app *MindnetApp) Close() error {
	app.closeOnce.Do(func() { app.closeErr = app.BaseApp.Close() })
	return app.closeErr
}
