"""lib: tested implementations behind the notebooks of «Первые нейронные сети».

Each notebook computes an idea visibly, then checks itself against the module here
and reuses it: perceptron → layer → mlp → rnn → lstm. Shared plumbing: plots (one
classroom style), diagrams (every picture in pics/ and the live widget diagrams),
data (small data sets), optim (Adam, clipping), checks (input validation).
"""
