using BenchmarkDotNet.Running;

// dotnet run -c Release --project <this project> -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
