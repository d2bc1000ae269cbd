from translate_summarize.cli.main import main

main()
