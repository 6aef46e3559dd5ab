from autodiag.cli import main

main()
