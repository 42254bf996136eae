namespace VideoFer.Data.Images;

/// <summary>Training draws random augmentation; evaluation uses the deterministic centre crop.</summary>
public enum PipelineMode { Training, Evaluation }
