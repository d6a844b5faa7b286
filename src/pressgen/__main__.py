from pressgen.cli import main

main()
