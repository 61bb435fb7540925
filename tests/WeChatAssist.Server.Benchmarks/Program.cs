using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/WeChatAssist.Server.Benchmarks -- --filter '*Chat*' --job short --inProcess
// (in-process: the server's ASP.NET framework reference does not carry over to BenchmarkDotNet's generated project)
BenchmarkSwitcher.FromAssembly(typeof(WeChatAssist.Server.Benchmarks.ChatBenchmarks).Assembly).Run(args);
