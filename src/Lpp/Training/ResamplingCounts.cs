namespace Lpp;

/// <summary>
/// What the paper recipe's resampling did to the part of the training data it resamples (the validation split is
/// never resampled): rows before, after Tomek links and after undersampling, and how many of them are protected
/// (abstentions and invalid outputs, never dropped). <see cref="ProtectedKept"/> equals <see cref="ProtectedRows"/>
/// when the protection held.
/// </summary>
/// <param name="Rows">Rows of the resampled part before resampling.</param>
/// <param name="ProtectedRows">Of those, abstentions and invalid outputs.</param>
/// <param name="AfterTomek">Rows left after Tomek-link cleaning.</param>
/// <param name="Kept">Rows left after random undersampling (the rows the grid search sees).</param>
/// <param name="ProtectedKept">Protected rows among <paramref name="Kept"/>.</param>
public sealed record ResamplingCounts(int Rows, int ProtectedRows, int AfterTomek, int Kept, int ProtectedKept);
