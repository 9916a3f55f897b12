if __name__ == "__main__":\n    pass
