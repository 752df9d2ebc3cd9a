return Engine.Cli.EntryPoint.Run(args);
