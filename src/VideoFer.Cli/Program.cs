using System.CommandLine;
using VideoFer.Cli;
using VideoFer.Cli.Commands;

// Before libtorch loads: its OpenMP threads must not spin for long while the face pipeline needs a core,
// and freed activations are reused instead of being unmapped and faulted in again at every step.
VideoFer.Models.Runtime.OpenMpWaiting.UseShortSpin();
VideoFer.Models.Runtime.HeapReuse.Apply();
// libtorch's warnings (an NNPACK one at every convolution on some CPUs) would bury VideoFer's messages.
VideoFer.Models.Runtime.TorchLog.ErrorsOnly();

// Every command lives in Commands/<Name>Command.cs and exposes a static Create().
var root = new RootCommand("VideoFer: facial expressions of every face in every frame of a video (Liu et al., ABAW 2020).");
root.Options.Add(GlobalOptions.Verbose);
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(DataCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(RunsCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(MergeCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(PrepareCommand.Create());
root.Subcommands.Add(BenchCommand.Create());

return CommandRunner.Run(root, args);
