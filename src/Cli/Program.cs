return Engine.Experiments.Cli.EntryPoint.Run(args);
